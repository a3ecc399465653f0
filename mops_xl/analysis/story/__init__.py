"""What is told about the period: the headline sentence, the KPI boxes and the Data Notes. The top room:
it may read every other room, and none reads it."""
