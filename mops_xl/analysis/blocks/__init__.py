"""The building blocks every other room uses: the metric catalogue (each figure defined once) and the blocks it
is written with, the status words, the reporting window, what the intake tracks, the thresholds, and how a
figure is written in text. Imports no other room."""
