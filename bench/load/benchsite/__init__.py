"""The product's site as the load benchmarks serve it: the production settings and URLs, plus two things that
exist only here: a bare view (the floor every request pays: the full middleware and a tiny JSON answer) and a
middleware that records each request's CPU time on the server side.

    DJANGO_SETTINGS_MODULE=benchsite.settings PYTHONPATH=bench/load gunicorn workshop.wsgi -c deploy/gunicorn.conf.py
"""
