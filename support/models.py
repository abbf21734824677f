"""Models of this app; empty until its issue lands."""
