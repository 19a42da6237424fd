/** Sample websites the local provider serves under /sites/<name>/ for the analysis executor. */
export interface SampleSite {
  status?: number;
  delayMs?: number;
  redirectTo?: string;
  pages: Record<string, string>;
}

const words = (n: number, topic: string) =>
  Array.from({ length: n }, (_, i) =>
    i % 12 === 0
      ? topic
      : ["fast", "simple", "reliable", "content", "search", "growth", "team", "plan", "results", "insight", "data"][
          i % 11
        ],
  ).join(" ");

export const SAMPLE_SITES: Record<string, SampleSite> = {
  // A well-kept site: every check passes.
  shop: {
    pages: {
      "": `<!doctype html><html lang="en"><head>
<meta charset="utf-8"><title>Example Shop – Handmade ceramics, shipped worldwide</title>
<meta name="description" content="Handmade ceramics from a small studio: mugs, bowls and vases, glazed by hand and shipped worldwide within three days.">
<link rel="canonical" href="/sites/shop/"><meta name="robots" content="index, follow">
<meta property="og:title" content="Example Shop"><meta property="og:description" content="Handmade ceramics"><meta property="og:image" content="/sites/shop/og.png">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Store","name":"Example Shop"}</script>
</head><body><header><nav><a href="/sites/shop/">Home</a> <a href="/sites/shop/about">About</a> <a href="https://social.example/shop">Follow us</a></nav></header>
<main><h1>Handmade ceramics</h1><p>${words(420, "ceramics")}</p><h2>Mugs</h2><p>${words(160, "mugs")}</p><img src="/m.jpg" alt="A blue mug"><h2>Bowls</h2><p>${words(160, "bowls")}</p><img src="/b.jpg" alt="Two bowls"><h3>Care</h3><p>${words(80, "care")}</p></main></body></html>`,
      about: `<!doctype html><html lang="en"><head><title>About – Example Shop</title><meta name="description" content="The studio behind Example Shop."></head><body><h1>About us</h1><p>${words(200, "studio")}</p></body></html>`,
    },
  },
  // A neglected blog: no description, two H1s, images without alt, thin content.
  blog: {
    pages: {
      "": `<!doctype html><html><head><title>Blog</title><meta name="robots" content="noindex"></head><body>
<h1>Welcome</h1><h1>Latest posts</h1><p>${words(120, "post")}</p><img src="/a.png"><img src="/b.png"><img src="/c.png" alt="">
<a href="/sites/blog/p1">Post 1</a><a href="https://elsewhere.example/">Elsewhere</a><a href="https://partner.example/">Partner</a></body></html>`,
    },
  },
  // A competitor that moved: one redirect to its new home.
  "competitor-old": { redirectTo: "competitor", pages: {} },
  competitor: {
    pages: {
      "": `<!doctype html><html lang="en"><head><title>Competitor Co – Ceramics and tableware</title><meta name="description" content="Ceramics and tableware at fair prices.">
<meta property="og:title" content="Competitor Co"></head><body><h1>Ceramics and tableware</h1><h2>Bestsellers</h2><p>${words(650, "tableware")}</p><img src="/x.jpg" alt="Plates"><a href="/sites/competitor/shop">Shop</a></body></html>`,
    },
  },
  // A redirect loop.
  loop: { redirectTo: "loop", pages: {} },
  // A page larger than the fetcher's size cap (2 MB by default).
  huge: {
    pages: {
      "": `<!doctype html><html><head><title>Huge page – far too much text</title></head><body><h1>Huge</h1><p>${"lorem ipsum dolor sit amet ".repeat(120_000)}</p></body></html>`,
    },
  },
  // A site that is down.
  broken: {
    status: 503,
    pages: { "": "<!doctype html><title>Service unavailable</title><h1>Down for maintenance</h1>" },
  },
  // A site slower than any sensible timeout.
  slow: { delayMs: 5000, pages: { "": "<!doctype html><title>Slow</title><h1>Eventually</h1>" } },
};

export function sampleRobots(origin: string): string {
  return `User-agent: *\nDisallow: /private/\n\nSitemap: ${origin}/sitemap.xml\n`;
}

export function sampleSitemap(origin: string): string {
  const urls = Object.entries(SAMPLE_SITES).flatMap(([name, site]) =>
    Object.keys(site.pages).map((p) => `${origin}/sites/${name}/${p}`),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.map((u) => `  <url><loc>${u}</loc></url>`).join("\n")}\n</urlset>\n`;
}
