"""The budget: each budget line paced over its days (its figures in both forms), the total pace, the cumulative
spend curve, and each channel's daily spend now."""
