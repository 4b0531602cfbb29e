"""Staff of the secretariat: roles per conference, what each may do, who may call a view."""
