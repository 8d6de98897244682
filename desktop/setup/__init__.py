"""The first-run set-up's steps, one module each on a shared base (``step.py``); the wizard that
navigates between them and stores the answers is ``desktop/setup_wizard.py``."""
