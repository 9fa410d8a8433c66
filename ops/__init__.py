"""Unattended operation: the scheduler and its job history, webhook alerts, progress output, evidence."""
