"""Scheduled work: the daily checks (stalls, reminders), the job runner, the scheduler lease
and outgoing mail."""
