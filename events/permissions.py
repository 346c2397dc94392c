"""Who may do what in this app, as rules predicates."""
