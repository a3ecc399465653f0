"""What happened: volumes, channel performance, targets and attainment, budget pacing, trend, the KPI table,
the channel scorecard, attribution, A/B experiments and campaign plans. Imports only the building blocks."""
