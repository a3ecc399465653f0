"""A/B experiments: each variant's rate, lift, interval, z-test, p-value and decision (in both forms), with Holm's
correction across an experiment's variants."""
