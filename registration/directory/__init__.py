"""Member states, observers and institutions: who takes part in CICA meetings."""
