"""Monitoring: the application watches its own model (issue 10).

- ``performance``: accuracy, precision, recall, F1 from analysts' decisions per version and window, with Wilson
  intervals, for the audit slice and for all reviews; threshold breaches.
- ``estimate``: the label-free estimate of the same metrics from calibrated probabilities (in the spirit of CBPE).
- ``drift``: the training baseline stored with each version, and PSI / Jensen-Shannon / KS against recent traffic.
- ``alerts``: Alert rows with a cooldown, delivered by e-mail and a Slack-compatible webhook.
- ``prometheus``: the application's own metrics for Prometheus.

Everything measured is stored as ``ModelMetric`` rows (``dataset`` names the population, ``window_start`` /
``window_end`` the window); the retraining triggers, experiments and managers' pages read these same numbers.
"""
