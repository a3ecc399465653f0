"""The forecast room: where the period lands. Pure functions of the engine's data (the daily Actuals per channel,
the reporting window, the targets and an optional plan), seeded so the same intake always gives the same
figures. Imports only the building blocks, the figures and the assessment rooms."""
