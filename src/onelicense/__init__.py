"""OneLicense: Beijing's "一业一证" platform."""

__version__ = "0.1.0"
