"""Campaign plans: each campaign's checklist from its template, its due dates and timeline, its spend within its own
dates (in both forms), and the campaign warnings."""
