"""The registry's pages: young people, enrolments, the import and the access log."""
