"""Articles from files: the model, identity, dates, cleaning, headers, discovery and readers.

One concept a module, lower ones first (a module imports only those above it in this list):
:mod:`~kg.articles.model` (Article, ArticleError), :mod:`~kg.articles.dates` (parse_published),
:mod:`~kg.articles.boilerplate`, :mod:`~kg.articles.identity` (ids, hashes, URLs),
:mod:`~kg.articles.cleaning` (what ``Article.text`` is), :mod:`~kg.articles.headers` (front
matter, title, date and byline lines), :mod:`~kg.articles.build` (article_from_text),
:mod:`~kg.articles.discovery` (which files), :mod:`~kg.articles.decoding` (bytes to text, the
encoding policy), :mod:`~kg.articles.html_pages` and :mod:`~kg.articles.readers` (one reader a
format, read_articles). Import names from the module that defines them.
"""
