"""What to do about it: the optimization triggers, one recommendation per channel, the budget reallocation,
the budget needed to reach a target, and the review dates. Imports the rooms below it, never the story."""
