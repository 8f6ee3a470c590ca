"""The broadcasting-certificate application family (seed 002), free of any framework."""
