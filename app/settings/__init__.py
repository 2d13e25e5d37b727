"""What config.py reads from the environment, one module per concern.

Nothing here imports from `app`: config.py imports these modules and create_app imports
config.py, so settings sit below every other part of the application.
"""
