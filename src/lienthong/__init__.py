"""lienthong: four small business apps and the connector that keeps them consistent."""

__version__ = "0.1.0"
