"""What the site shows besides Pelican's pages, as plain values and bytes: lists, pictures,
feeds, calendars, events, head tags and sitemap, the search index, the partnership map."""
