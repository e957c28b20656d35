"""Perspektiv by email: editions, email HTML and text, messages, the audience, subscribers and
the suppression list, the send ledger, SMTP and the mailer."""
