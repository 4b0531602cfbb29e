"""Official correspondence: the register of outgoing numbers, notes verbales in three
languages, and their dispatch to the member states."""
