"""Registration: the rules (eligibility, seats, join-link visibility), registering, the
waitlist, approval and cancelling."""
