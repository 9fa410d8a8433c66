"""Alerts by webhook: generic JSON, DingTalk and WeCom robots, optional signing, retried off the job's thread."""

from ops.alerts.model import Alert
from ops.alerts.sender import AlertSender, Webhook

__all__ = ["Alert", "AlertSender", "Webhook"]
