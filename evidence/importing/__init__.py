"""Reading articles written elsewhere (Markdown, plain text, Word) so they
can become draft pages, and finding the studies they mention by author and
year. Creating the page is the articles app's job (`articles.importing`)."""
