"""Default settings: everything from the environment, with safe local defaults."""

from .base import *  # noqa: F401,F403
