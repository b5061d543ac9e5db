# legacy: takes the project-wide directive (freethreading_compatible False in setup.py)
def twice(x):
    return 2 * x
