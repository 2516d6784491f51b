/* glossary.c — the glossary page: the words corridor uses (mirror gap,
 * CIF and FOB, NTM chapters, document codes, stages, caps, utilisation,
 * flags) and what they mean here, in the reader's language. Each page's
 * footer links to it. */
#include "http.h"

static const struct {
    const char *term, *meaning;
} terms[] = {
    {N_("Mirror comparison"),
     N_("The same flow as each side reports it: Kazakhstan's exports to China against China's "
        "imports from Kazakhstan. The gap between them comes from valuation (CIF against FOB), "
        "timing, goods in transit declared to the first country, and coverage.")},
    {N_("CIF"), N_("Cost, insurance and freight: the value of goods at the importer's border, with "
                   "transport and insurance; importers report their imports at CIF.")},
    {N_("FOB"), N_("Free on board: the value of goods at the exporter's border; exporters report "
                   "their exports at FOB.")},
    {N_("HS code"),
     N_("The Harmonized System of the World Customs Organization: 2-digit chapters, 4-digit "
        "headings and 6-digit subheadings; corridor checks codes against the 2022 edition.")},
    {N_("Non-tariff measure (NTM)"),
     N_("A measure other than a tariff that affects trade, in UNCTAD's chapters A to P: A sanitary "
        "and phytosanitary, B technical barriers, C pre-shipment inspection, E licences and "
        "quotas, and so on.")},
    {N_("vet-cert"), N_("A veterinary certificate from the exporting country's veterinary service, "
                        "needed for meat and other animal products.")},
    {N_("phyto-cert"),
     N_("A phytosanitary certificate for plants and plant products such as grain and oilseed.")},
    {N_("plant-registration"),
     N_("The registration of the producing establishment with the importing country's customs "
        "(China's GACC), needed before beef and other meat can be shipped.")},
    {N_("Project stages"),
     N_("An investment project moves from idea to announced, signed, construction and "
        "commissioned; it may stall on the way, or be cancelled.")},
    {N_("Annual cap"),
     N_("The most an agreement allows in a year, in tonnes or US$, for a calendar year or a "
        "July–June marketing year; declarations beyond it are refused.")},
    {N_("Utilisation"), N_("The share of a link's or a border crossing's yearly capacity that the "
                           "year's freight uses; 100% means it is saturated.")},
    {N_("M/M/c queue"),
     N_("A crossing seen as a queue: trains or trucks arrive at random, each is served in a random "
        "time, by c tracks or lanes at once; it gives the waiting times.")},
    {N_("Overdue and at risk"),
     N_("A commitment is overdue when its due date has passed and its target is not reached; at "
        "risk when, at the pace so far, it will not reach its target by the due date.")},
    {N_("Synthetic data"), N_("Demo rows made up to show how corridor works; their source says "
                              "SYNTHETIC, and they are never published figures.")},
};

int page_glossary(struct req *r, struct err *e)
{
    (void)e;
    struct html_page p;
    http_page_start(r, &p, T("Glossary"), NULL);
    html_printf(&r->out, "<p>%s</p><dl class=\"glossary\">",
                T("The words corridor uses, and what they mean here."));
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
        html_printf(&r->out, "<dt>%s</dt><dd>%s</dd>", T(terms[i].term), T(terms[i].meaning));
    buf_puts(&r->out, "</dl>");
    return http_page_done(r, &p);
}
