"""lienthong: connected business apps (system, accounting, CRM, process) and the connector that keeps them consistent."""

__version__ = "0.1.0"
