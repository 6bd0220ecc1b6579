"""Where people work: the pytest plugin and the testing helpers.  May import every layer below."""
