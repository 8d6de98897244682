"""The Qt application: pages, widgets, the flow's Qt side. Business logic lives in ``db``."""
