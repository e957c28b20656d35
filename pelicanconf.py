"""Development settings. Build with `./tasks.py build`, never with plain `pelican`."""

SITENAME = "Kommunepartner"
SITESUBTITLE = "Initiativ Vest"
AUTHOR = "Initiativ Vest"
SITEURL = "http://127.0.0.1:8000"
# Links, stylesheets and scripts are relative to each page, so a build works on any host, port or
# path prefix; canonical, Open Graph, feeds, calendars and email use the absolute SITEURL.
RELATIVE_URLS = True
PATH = "content"
OUTPUT_PATH = "output"
THEME = "themes/kommunepartner"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "nn"
LOCALE = ("C.UTF-8",)

# Our plugins (package scheme; `pip install -e .` makes plugins/ importable).
PLUGINS = ["plugins.yamlmd", "plugins.access", "plugins.theme", "plugins.partnermap"]
PLUGINS += ["plugins.calendar", "plugins.feeds", "plugins.discovery", "plugins.search"]
PLUGINS += ["plugins.publications"]  # series, author and place pages; citation files
PLUGINS += ["plugins.pdf"]  # each public brief as an A4 PDF
PLUGINS += ["plugins.reuse"]  # preview rebuilds copy the pages of unchanged items
PLUGINS += ["plugins.assets"]  # theme files named by a hash of their bytes (cacheable forever)

# Content: one folder per section, its URL name set here; pages have their own folder.
ARTICLE_PATHS = ["briefs", "newsletters", "events"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
USE_FOLDER_AS_CATEGORY = False
KP_SECTIONS = {"briefs": "notat", "newsletters": "perspektiv", "events": "arrangement"}
ARTICLE_URL = "{category}/{slug}/"
ARTICLE_SAVE_AS = "{category}/{slug}/index.html"
# Slugs are unique per section and translations are linked by `translation_of`, so an item in
# the other written standard keeps the plain URL (Pelican would otherwise add /{lang}/).
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = PAGE_URL
PAGE_LANG_SAVE_AS = PAGE_SAVE_AS
CATEGORY_URL = "{slug}/"
CATEGORY_SAVE_AS = "{slug}/index.html"
TAG_URL = "tema/{slug}/"
TAG_SAVE_AS = "tema/{slug}/index.html"
TAGS_URL = "tema/"
TAGS_SAVE_AS = "tema/index.html"
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = YEAR_ARCHIVE_SAVE_AS = MONTH_ARCHIVE_SAVE_AS = DAY_ARCHIVE_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "notfound", "tags"]  # tags: the topic index at tema/
DIRECT_TEMPLATES += ["search"]  # the search page at sok/ (Pagefind)
SEARCH_SAVE_AS = "sok/index.html"
SEARCH_URL = "sok/"
NOTFOUND_SAVE_AS = "404.html"  # the 404 page (a direct template; names cannot start with a digit)
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None}
DEFAULT_PAGINATION = False
SLUGIFY_SOURCE = "basename"
FILENAME_METADATA = r"(?!x)x"  # never take a date from a file name
DEFAULT_DATE = None

# Drafts are never written; Pelican's own feeds are off (ours know about access).
DRAFT_SAVE_AS = DRAFT_LANG_SAVE_AS = DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
DRAFT_URL = DRAFT_LANG_URL = DRAFT_PAGE_URL = DRAFT_PAGE_LANG_URL = ""
FEED_ALL_ATOM = FEED_ALL_RSS = FEED_ATOM = FEED_RSS = None
CATEGORY_FEED_ATOM = CATEGORY_FEED_RSS = TAG_FEED_ATOM = TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = TRANSLATION_FEED_RSS = None
WITH_FUTURE_DATES = True  # future-dated briefs are skipped by our reader instead

# Only our reader: Pelican's own Markdown reader, if built at all, adds `meta` to MARKDOWN.
READERS = {"rst": None, "html": None, "htm": None, "markdown": None, "mkd": None, "mdown": None}
JINJA_ENVIRONMENT = {"autoescape": True}
MARKDOWN = {
    "extensions": [
        "markdown.extensions.tables",
        "markdown.extensions.footnotes",
        "markdown.extensions.toc",
        "markdown.extensions.attr_list",
        "markdown.extensions.smarty",
    ],
    "extension_configs": {"markdown.extensions.smarty": {"smart_quotes": False}},
    "output_format": "html5",
}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False

# Kommunepartner settings (read once into kommunepartner.base.config.Config).
KP_PARTNERS_FILE = "partners.yaml"
KP_STATE_DIR = "state"
KP_SECRET_FILE = ".kp-secret"  # git-ignored; `make serve` generates a development secret
KP_REQUIRE_SECRET = False
KP_SENDER = "Perspektiv frå Initiativ Vest <perspektiv@example.org>"
KP_REPLY_TO = "post@example.org"
KP_POSTAL_ADDRESS = "Initiativ Vest, Postboks 1234 Sentrum, 5811 Bergen"
KP_UNSUBSCRIBE_MAILTO = "avmelding@example.org"
KP_UNSUBSCRIBE_URL = ""
KP_BECOME_PARTNER_PATH = "bli-partnar/"
KP_SERVICE_URL = "http://127.0.0.1:8001"  # the forms' service (sign-up, unsubscribe, registration)
KP_PRODUCTION = False  # development: mail goes only to a catcher on this machine, or --to
KP_PDF = True  # each public brief also as an A4 PDF (WeasyPrint; cached in KP_STATE_DIR/pdf)
# The programme's three areas: topics shown first on the topic index, in this order.
KP_PROGRAMME_AREAS = [
    "makt og samarbeid",
    "transport og stadutvikling",
    "energi og næringsutvikling",
]
