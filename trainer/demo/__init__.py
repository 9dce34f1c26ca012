"""The demo province: units, staff, accounts, two years of activity, for trying the app."""
