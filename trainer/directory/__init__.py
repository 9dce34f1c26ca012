"""The roster pages: org tree, staff list with search and exports, staff profile, imports and
bulk accounts. A top layer: it reads org, accounts and certificates."""
