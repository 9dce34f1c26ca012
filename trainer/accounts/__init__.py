"""Users, roles, scopes, sign-in and API tokens."""
