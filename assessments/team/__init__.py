"""A region's team: its members and their roles, invitations to join, and the record of every
change (`TeamEvent`). Region admins change it; every member reads it."""
