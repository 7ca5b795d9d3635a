"""fab's gettext catalogues (domain ``fab``): ``fab.pot``, the template ``pybabel extract`` makes from the code
(babel.cfg), and ``<lang>/LC_MESSAGES/fab.po`` with its compiled ``fab.mo`` for each language; see
CONTRIBUTING.md.  ``extract`` is the extractor babel.cfg names for the CLI's modules."""
