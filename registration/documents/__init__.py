"""Documents of a conference or series (summaries, concept notes, notes verbales) in their
language versions, and the public documents pages ("the open part of the website")."""
