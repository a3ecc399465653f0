"""The assessment: the martech stack by stage, the integration map, and the maturity level with its evidence.
Imports the building blocks and the figures."""
