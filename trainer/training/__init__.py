"""Training sessions, enrolment, attendance, QR check-in, sign-in sheets and calendars."""
