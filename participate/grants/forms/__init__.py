"""The forms of the fund and grant pages, one module per part."""
