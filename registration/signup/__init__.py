"""Expert and delegate registration on behalf of member states and observers."""
