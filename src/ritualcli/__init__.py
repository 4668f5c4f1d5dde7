"""ritual: plan a couple's relationship rituals (check-ins and date nights)."""

__version__ = "0.1.0"
