// The Twinscan rule catalogue in Neo4j Cypher (twinscan rules export --dialect neo4j).
// 31 rules: 24 translated (10 with the approximations each states), 7 not translatable (listed below, as comments).
//
// Reads the graph as `twinscan export --format neo4j` writes it and
// `neo4j-admin database import full` loads it: the entity kind as the label, the
// relation kind as the type, `id` on every entity and relation, dates of day
// precision as `date` and the others as text in NAME_partial, locations as WGS-84
// points, lists as arrays. Run it with cypher-shell (see docs/scale-out.md):
//   cypher-shell -d neo4j --format plain -f catalogue.cypher
// Each statement sets its parameters with :param just before it: the rules'
// defaults, or what rules export was given (--param, --params, --home-country,
// --as-of). Each returns one row per finding: rule, the ids of the bound
// entities (the bindings of twinscan scan's findings), message.
//
// Not translatable:
//   entity-sources-disagree
//   relation-sources-disagree
//   tie-ended-in-one-source-active-in-another
//   tie-known-only-from-foreign-side
//   tie-missing-from-national-register
//   tie-sources-disagree
//   twinning-agreement-missing-from-national-register

// ------------------------------------------------------------------------
// rule: agreement-not-notified
// title: Agreement of a municipality with a foreign party, not notified to central government in time
// severity: medium; category: notification
// requires: NOTIFIED (none in the graph: no rows, where Twinscan says the rule cannot judge)
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: a date of year or month precision (NAME_partial) is every day of its period: a condition holds when it holds for every such day, as Twinscan decides it; matches Twinscan reports as undecided are not returned
:param {as_of: null, home_country: null, minor_roles: ["witness","observer"], notify_within_days: 30, unsigned_statuses: ["proposed"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL AND EXISTS { MATCH ()-[:NOTIFIED]->() }
MATCH q = (m:Municipality)-[:PARTY_TO]->(a:Agreement)
WHERE coalesce(a.signed_on, date(a.signed_on_partial)) IS NOT NULL AND NOT coalesce(a.status, '') IN $unsigned_statuses AND duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial) + CASE size(a.signed_on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(date($as_of), date())).days > $notify_within_days AND none(r0 IN relationships(q) WHERE coalesce(r0.role, '') IN $minor_roles) AND NOT EXISTS { MATCH (a)-[:NOTIFIED]->(:CentralAuthority) } AND EXISTS { MATCH (a)<-[r:PARTY_TO]-(f:ForeignCity|ForeignGovernment|Firm|Organization) WHERE NOT coalesce(r.role, '') IN $minor_roles AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR f.country <> home_country OR (f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) }))) }
RETURN DISTINCT 'agreement-not-notified' AS rule, m.id AS m, a.id AS a,
       coalesce(toString(m.name), '(unknown)') + ' signed \'' + coalesce(toString(a.name), '(unknown)') + '\' on ' + coalesce(coalesce(toString(a.signed_on), a.signed_on_partial), '(unknown)') + ' with a foreign party; no notification of central government is on record ' + coalesce(reduce(text3 = null, low1 IN [duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial) + CASE size(a.signed_on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(date($as_of), date())).days] | reduce(text4 = null, high2 IN [duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial)), coalesce(date($as_of), date())).days] | CASE WHEN low1 = high2 THEN toString(low1) ELSE 'between ' + toString(low1) + ' and ' + toString(high2) END)), '(unknown)') + ' days later (due within ' + coalesce(reduce(text6 = null, number5 IN [$notify_within_days] | CASE WHEN number5 = toInteger(number5) THEN toString(toInteger(number5)) ELSE toString(round(number5, CASE WHEN 2 - toInteger(floor(log10(abs(number5)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number5)))) END)) END), '(unknown)') + ')' AS message;

// ------------------------------------------------------------------------
// rule: agreement-notification-coming-due
// title: Notification of a municipality's agreement with a foreign party comes due soon
// severity: info; category: notification
// requires: NOTIFIED (none in the graph: no rows, where Twinscan says the rule cannot judge)
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: a date of year or month precision (NAME_partial) is every day of its period: a condition holds when it holds for every such day, as Twinscan decides it; matches Twinscan reports as undecided are not returned
// approximation: days_between() of a date of year or month precision, read as a value, counts from and to the first day of its period
:param {as_of: null, due_within_days: 14, home_country: null, minor_roles: ["witness","observer"], notify_within_days: 30, unsigned_statuses: ["proposed"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL AND EXISTS { MATCH ()-[:NOTIFIED]->() }
MATCH q = (m:Municipality)-[:PARTY_TO]->(a:Agreement)
WHERE coalesce(a.signed_on, date(a.signed_on_partial)) IS NOT NULL AND NOT coalesce(a.status, '') IN $unsigned_statuses AND duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial)), coalesce(date($as_of), date())).days <= $notify_within_days AND duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial) + CASE size(a.signed_on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(date($as_of), date())).days > $notify_within_days - $due_within_days AND none(r0 IN relationships(q) WHERE coalesce(r0.role, '') IN $minor_roles) AND NOT EXISTS { MATCH (a)-[:NOTIFIED]->(:CentralAuthority) } AND EXISTS { MATCH (a)<-[r:PARTY_TO]-(f:ForeignCity|ForeignGovernment|Firm|Organization) WHERE NOT coalesce(r.role, '') IN $minor_roles AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR f.country <> home_country OR (f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) }))) }
RETURN DISTINCT 'agreement-notification-coming-due' AS rule, m.id AS m, a.id AS a,
       coalesce(toString(m.name), '(unknown)') + ' signed \'' + coalesce(toString(a.name), '(unknown)') + '\' on ' + coalesce(coalesce(toString(a.signed_on), a.signed_on_partial), '(unknown)') + ' with a foreign party and no notification of central government is on record; day(s) left of the ' + coalesce(reduce(text2 = null, number1 IN [$notify_within_days] | CASE WHEN number1 = toInteger(number1) THEN toString(toInteger(number1)) ELSE toString(round(number1, CASE WHEN 2 - toInteger(floor(log10(abs(number1)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number1)))) END)) END), '(unknown)') + '-day period: ' + coalesce(reduce(text4 = null, number3 IN [$notify_within_days - duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial) + CASE size(a.signed_on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(date($as_of), date())).days] | CASE WHEN number3 = toInteger(number3) THEN toString(toInteger(number3)) ELSE toString(round(number3, CASE WHEN 2 - toInteger(floor(log10(abs(number3)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number3)))) END)) END), '(unknown)') AS message;

// ------------------------------------------------------------------------
// rule: agreement-notified-late
// title: Agreement of a municipality with a foreign party notified after the period
// severity: low; category: notification
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: a date of year or month precision (NAME_partial) is every day of its period: a condition holds when it holds for every such day, as Twinscan decides it; matches Twinscan reports as undecided are not returned
:param {home_country: null, minor_roles: ["witness","observer"], notify_within_days: 30}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH q = (m:Municipality)-[:PARTY_TO]->(a:Agreement)-[n:NOTIFIED]->(c:CentralAuthority)
WHERE duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial) + CASE size(a.signed_on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(n.on, date(n.on_partial))).days > $notify_within_days AND none(r0 IN relationships(q) WHERE coalesce(r0.role, '') IN $minor_roles) AND NOT EXISTS { MATCH (a)-[n2:NOTIFIED]->(:CentralAuthority) WHERE duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial) + CASE size(a.signed_on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(n2.on, date(n2.on_partial))).days <= $notify_within_days } AND EXISTS { MATCH (a)<-[r:PARTY_TO]-(f:ForeignCity|ForeignGovernment|Firm|Organization) WHERE NOT coalesce(r.role, '') IN $minor_roles AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR f.country <> home_country OR (f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) }))) }
RETURN DISTINCT 'agreement-notified-late' AS rule, m.id AS m, a.id AS a, c.id AS c,
       coalesce(toString(m.name), '(unknown)') + ' signed \'' + coalesce(toString(a.name), '(unknown)') + '\' on ' + coalesce(coalesce(toString(a.signed_on), a.signed_on_partial), '(unknown)') + ' with a foreign party and notified ' + coalesce(toString(c.name), '(unknown)') + ' only on ' + coalesce(coalesce(toString(n.on), n.on_partial), '(unknown)') + ', ' + coalesce(reduce(text3 = null, low1 IN [duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial) + CASE size(a.signed_on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(n.on, date(n.on_partial))).days] | reduce(text4 = null, high2 IN [duration.inDays(coalesce(a.signed_on, date(a.signed_on_partial)), coalesce(n.on, date(n.on_partial) + CASE size(n.on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D'))).days] | CASE WHEN low1 = high2 THEN toString(low1) ELSE 'between ' + toString(low1) + ' and ' + toString(high2) END)), '(unknown)') + ' days later (due within ' + coalesce(reduce(text6 = null, number5 IN [$notify_within_days] | CASE WHEN number5 = toInteger(number5) THEN toString(toInteger(number5)) ELSE toString(round(number5, CASE WHEN 2 - toInteger(floor(log10(abs(number5)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number5)))) END)) END), '(unknown)') + ')' AS message;

// ------------------------------------------------------------------------
// rule: agreement-notified-without-date
// title: Agreement of a municipality with a foreign party recorded as notified, with no date
// severity: low; category: data-quality
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
:param {home_country: null, minor_roles: ["witness","observer"], notify_within_days: 30}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH q = (m:Municipality)-[:PARTY_TO]->(a:Agreement)-[n:NOTIFIED]->(c:CentralAuthority)
WHERE coalesce(n.on, date(n.on_partial)) IS NULL AND none(r0 IN relationships(q) WHERE coalesce(r0.role, '') IN $minor_roles) AND NOT EXISTS { MATCH (a)-[n2:NOTIFIED]->(:CentralAuthority) WHERE coalesce(n2.on, date(n2.on_partial)) IS NOT NULL } AND EXISTS { MATCH (a)<-[r:PARTY_TO]-(f:ForeignCity|ForeignGovernment|Firm|Organization) WHERE NOT coalesce(r.role, '') IN $minor_roles AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR f.country <> home_country OR (f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) }))) }
RETURN DISTINCT 'agreement-notified-without-date' AS rule, m.id AS m, a.id AS a, c.id AS c,
       coalesce(toString(m.name), '(unknown)') + ' notified ' + coalesce(toString(c.name), '(unknown)') + ' of \'' + coalesce(toString(a.name), '(unknown)') + '\' (' + coalesce(toString(a.type), '(unknown)') + ') with a foreign party, but no date of the notification is on record: whether it came within ' + coalesce(reduce(text2 = null, number1 IN [$notify_within_days] | CASE WHEN number1 = toInteger(number1) THEN toString(toInteger(number1)) ELSE toString(round(number1, CASE WHEN 2 - toInteger(floor(log10(abs(number1)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number1)))) END)) END), '(unknown)') + ' days of signing cannot be judged' AS message;

// ------------------------------------------------------------------------
// rule: agreement-past-term
// title: Agreement of a municipality with a foreign party is past its term and still recorded as in force
// severity: low; category: data-quality
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: a date of year or month precision (NAME_partial) is every day of its period: a condition holds when it holds for every such day, as Twinscan decides it; matches Twinscan reports as undecided are not returned
:param {as_of: null, home_country: null, in_force_statuses: ["signed","active"], minor_roles: ["witness","observer"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH q = (m:Municipality)-[:PARTY_TO]->(a:Agreement)
WHERE coalesce(a.valid_until, date(a.valid_until_partial)) IS NOT NULL AND coalesce(a.status, '') IN $in_force_statuses AND duration.inDays(coalesce(a.valid_until, date(a.valid_until_partial) + CASE size(a.valid_until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(date($as_of), date())).days > 0 AND none(r0 IN relationships(q) WHERE coalesce(r0.role, '') IN $minor_roles) AND EXISTS { MATCH (a)<-[r:PARTY_TO]-(f:ForeignCity|ForeignGovernment|Firm|Organization) WHERE NOT coalesce(r.role, '') IN $minor_roles AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR f.country <> home_country OR (f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) }))) }
RETURN DISTINCT 'agreement-past-term' AS rule, m.id AS m, a.id AS a,
       '\'' + coalesce(toString(a.name), '(unknown)') + '\' of ' + coalesce(toString(m.name), '(unknown)') + ' with a foreign party ran until ' + coalesce(coalesce(toString(a.valid_until), a.valid_until_partial), '(unknown)') + ', ' + coalesce(reduce(text3 = null, low1 IN [duration.inDays(coalesce(a.valid_until, date(a.valid_until_partial) + CASE size(a.valid_until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(date($as_of), date())).days] | reduce(text4 = null, high2 IN [duration.inDays(coalesce(a.valid_until, date(a.valid_until_partial)), coalesce(date($as_of), date())).days] | CASE WHEN low1 = high2 THEN toString(low1) ELSE 'between ' + toString(low1) + ' and ' + toString(high2) END)), '(unknown)') + ' days ago, and is still recorded as ' + coalesce(toString(a.status), '(unknown)') AS message;

// ------------------------------------------------------------------------
// rule: agreement-without-signing-date
// title: Signed agreement of a public body with a foreign party has no signing date
// severity: low; category: data-quality
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
:param {home_country: null, unsigned_statuses: ["proposed"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH (d:Municipality|CentralAuthority)-[:PARTY_TO]->(a:Agreement)
WHERE coalesce(a.signed_on, date(a.signed_on_partial)) IS NULL AND NOT coalesce(a.status, '') IN $unsigned_statuses AND EXISTS { MATCH (a)<-[:PARTY_TO]-(f:ForeignCity|ForeignGovernment|Firm|Organization) WHERE head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR coalesce(f.country, '') <> home_country }
RETURN DISTINCT 'agreement-without-signing-date' AS rule, d.id AS d, a.id AS a,
       '\'' + coalesce(toString(a.name), '(unknown)') + '\' (' + coalesce(toString(a.type), '(unknown)') + ', status ' + coalesce(toString(a.status), '(unknown)') + ') of ' + coalesce(toString(d.name), '(unknown)') + ' with a foreign party has no signing date, so its notification cannot be judged' AS message;

// ------------------------------------------------------------------------
// rule: confidential-data-sharing-or-foreign-forum
// title: Confidential agreement with a foreign party that also shares data or submits to a foreign forum
// severity: critical; category: secrecy
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
:param {aggravating_clauses: ["data_sharing","foreign_arbitration","governing_law_foreign"], home_country: null, minor_roles: ["witness","observer"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH q = (p:Municipality|CentralAuthority|Organization)-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(f)
WHERE 'confidentiality' IN a.clauses AND any(c IN a.clauses WHERE c IN $aggravating_clauses) AND (head(labels(p)) <> 'Organization' OR p.country = home_country) AND none(r IN relationships(q) WHERE coalesce(r.role, '') IN $minor_roles) AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR (head(labels(f)) IN ['Firm', 'Organization'] AND f.country <> home_country) OR (head(labels(f)) IN ['Firm', 'Organization'] AND f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) })))
RETURN DISTINCT 'confidential-data-sharing-or-foreign-forum' AS rule, p.id AS p, a.id AS a, f.id AS f,
       '\'' + coalesce(toString(a.name), '(unknown)') + '\' (signed ' + coalesce(coalesce(toString(a.signed_on), a.signed_on_partial), '(unknown)') + ') between ' + coalesce(toString(p.name), '(unknown)') + ' and ' + coalesce(toString(f.name), '(unknown)') + ' is confidential and has the clauses ' + coalesce(reduce(text1 = null, item2 IN a.clauses | coalesce(text1 + ', ', '') + toString(item2)), '(unknown)') AS message;

// ------------------------------------------------------------------------
// rule: entity-sources-disagree
// title: Sources disagree on a value of an entity
// severity: low; category: data-quality
// NOT TRANSLATABLE: disagreements() reads which sources state each fact, which `twinscan export --format neo4j` does not carry (see twinscan reconcile); run this rule with twinscan scan
// Twinscan's query, for reference:
//   MATCH (e) WHERE size(disagreements(e, $ignore)) > 0

// ------------------------------------------------------------------------
// rule: foreign-government-control
// title: Firm controlled by a foreign government through its ownership chain
// severity: medium; category: state-control
// requires: OWNED_BY (none in the graph: no rows, where Twinscan says the rule cannot judge)
:param {as_of: null, control_share: 0.5, countries_of_concern: []}
WITH true AS judged
WHERE EXISTS { MATCH ()-[:OWNED_BY]->() }
MATCH (f:Firm)-[:OWNED_BY*1..10]->(g:ForeignGovernment|ForeignCity)
WHERE reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (f)-[:OWNED_BY*1..10]->(g) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) >= $control_share AND (head(labels(g)) = 'ForeignGovernment' OR EXISTS { MATCH (g)-[:CONTROLLED_BY]->(:ForeignGovernment) }) AND (NOT EXISTS { MATCH (:Firm)-[:OWNED_BY]->(f) } OR EXISTS { MATCH (f)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|FINANCIER_OF|PARTY_TO]->() } OR EXISTS { MATCH (f)-[:LOCATED_IN]->(:Municipality) }) AND (size($countries_of_concern) = 0 OR g.country IN $countries_of_concern)
RETURN DISTINCT 'foreign-government-control' AS rule, f.id AS f, g.id AS g,
       coalesce(toString(f.name), '(unknown)') + ' is ' + coalesce(reduce(text22 = null, number21 IN [round(reduce(capped18 = 1.0, x19 IN [reduce(total16 = 0.0, chain_share17 IN [chain11 = (f)-[:OWNED_BY*1..10]->(g) WHERE all(n12 IN nodes(chain11) WHERE single(m13 IN nodes(chain11) WHERE m13 = n12)) AND all(held20 IN relationships(chain11) WHERE (coalesce(coalesce(held20.since, date(held20.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held20.until, date(held20.until_partial) + CASE size(held20.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share15 = 1.0, r14 IN relationships(chain11) | share15 * coalesce(r14.share, r14.share_min))] | total16 + coalesce(chain_share17, 0.0))] | CASE WHEN x19 < capped18 THEN x19 ELSE capped18 END) * 100)] | CASE WHEN number21 = toInteger(number21) THEN toString(toInteger(number21)) ELSE toString(round(number21, CASE WHEN 2 - toInteger(floor(log10(abs(number21)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number21)))) END)) END), '(unknown)') + '% owned by ' + coalesce(toString(g.name), '(unknown)') + ' through its ownership chain: the foreign government controls it' AS message;

// ------------------------------------------------------------------------
// rule: foreign-government-control-through-majority-chain
// title: Firm controlled by a foreign government through a chain of majority holdings
// severity: medium; category: state-control
// requires: OWNED_BY (none in the graph: no rows, where Twinscan says the rule cannot judge)
:param {as_of: null, control_share: 0.5, countries_of_concern: []}
WITH true AS judged
WHERE EXISTS { MATCH ()-[:OWNED_BY]->() }
MATCH q = (f:Firm)-[:OWNED_BY*2..10]->(g:ForeignGovernment|ForeignCity)
WHERE all(r IN relationships(q) WHERE (coalesce(coalesce(r.since, date(r.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(r.until, date(r.until_partial) + CASE size(r.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true)) AND coalesce(r.share, r.share_min) >= $control_share) AND reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (f)-[:OWNED_BY*1..10]->(g) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) < $control_share AND (head(labels(g)) = 'ForeignGovernment' OR EXISTS { MATCH (g)-[:CONTROLLED_BY]->(:ForeignGovernment) }) AND (NOT EXISTS { MATCH (:Firm)-[:OWNED_BY]->(f) } OR EXISTS { MATCH (f)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|FINANCIER_OF|PARTY_TO]->() } OR EXISTS { MATCH (f)-[:LOCATED_IN]->(:Municipality) }) AND (size($countries_of_concern) = 0 OR g.country IN $countries_of_concern)
RETURN DISTINCT 'foreign-government-control-through-majority-chain' AS rule, f.id AS f, g.id AS g,
       coalesce(toString(f.name), '(unknown)') + ' is held by ' + coalesce(toString(g.name), '(unknown)') + ' through a chain of majority holdings (' + coalesce(reduce(text22 = null, number21 IN [round(reduce(capped18 = 1.0, x19 IN [reduce(total16 = 0.0, chain_share17 IN [chain11 = (f)-[:OWNED_BY*1..10]->(g) WHERE all(n12 IN nodes(chain11) WHERE single(m13 IN nodes(chain11) WHERE m13 = n12)) AND all(held20 IN relationships(chain11) WHERE (coalesce(coalesce(held20.since, date(held20.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held20.until, date(held20.until_partial) + CASE size(held20.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share15 = 1.0, r14 IN relationships(chain11) | share15 * coalesce(r14.share, r14.share_min))] | total16 + coalesce(chain_share17, 0.0))] | CASE WHEN x19 < capped18 THEN x19 ELSE capped18 END) * 100)] | CASE WHEN number21 = toInteger(number21) THEN toString(toInteger(number21)) ELSE toString(round(number21, CASE WHEN 2 - toInteger(floor(log10(abs(number21)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number21)))) END)) END), '(unknown)') + '% when multiplied): the foreign government controls each company of the chain, and so this one' AS message;

// ------------------------------------------------------------------------
// rule: foreign-government-influence
// title: Firm under significant influence of a foreign government through its ownership chain
// severity: low; category: state-control
// requires: OWNED_BY (none in the graph: no rows, where Twinscan says the rule cannot judge)
:param {as_of: null, control_share: 0.5, countries_of_concern: [], influence_share: 0.25}
WITH true AS judged
WHERE EXISTS { MATCH ()-[:OWNED_BY]->() }
MATCH (f:Firm)-[:OWNED_BY*1..10]->(g:ForeignGovernment|ForeignCity)
WHERE reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (f)-[:OWNED_BY*1..10]->(g) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) >= $influence_share AND reduce(capped18 = 1.0, x19 IN [reduce(total16 = 0.0, chain_share17 IN [chain11 = (f)-[:OWNED_BY*1..10]->(g) WHERE all(n12 IN nodes(chain11) WHERE single(m13 IN nodes(chain11) WHERE m13 = n12)) AND all(held20 IN relationships(chain11) WHERE (coalesce(coalesce(held20.since, date(held20.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held20.until, date(held20.until_partial) + CASE size(held20.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share15 = 1.0, r14 IN relationships(chain11) | share15 * coalesce(r14.share, r14.share_min))] | total16 + coalesce(chain_share17, 0.0))] | CASE WHEN x19 < capped18 THEN x19 ELSE capped18 END) < $control_share AND (head(labels(g)) = 'ForeignGovernment' OR EXISTS { MATCH (g)-[:CONTROLLED_BY]->(:ForeignGovernment) }) AND (NOT EXISTS { MATCH (:Firm)-[:OWNED_BY]->(f) } OR EXISTS { MATCH (f)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|FINANCIER_OF|PARTY_TO]->() } OR EXISTS { MATCH (f)-[:LOCATED_IN]->(:Municipality) }) AND (size($countries_of_concern) = 0 OR g.country IN $countries_of_concern)
RETURN DISTINCT 'foreign-government-influence' AS rule, f.id AS f, g.id AS g,
       coalesce(toString(f.name), '(unknown)') + ' is ' + coalesce(reduce(text32 = null, number31 IN [round(reduce(capped28 = 1.0, x29 IN [reduce(total26 = 0.0, chain_share27 IN [chain21 = (f)-[:OWNED_BY*1..10]->(g) WHERE all(n22 IN nodes(chain21) WHERE single(m23 IN nodes(chain21) WHERE m23 = n22)) AND all(held30 IN relationships(chain21) WHERE (coalesce(coalesce(held30.since, date(held30.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held30.until, date(held30.until_partial) + CASE size(held30.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share25 = 1.0, r24 IN relationships(chain21) | share25 * coalesce(r24.share, r24.share_min))] | total26 + coalesce(chain_share27, 0.0))] | CASE WHEN x29 < capped28 THEN x29 ELSE capped28 END) * 100)] | CASE WHEN number31 = toInteger(number31) THEN toString(toInteger(number31)) ELSE toString(round(number31, CASE WHEN 2 - toInteger(floor(log10(abs(number31)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number31)))) END)) END), '(unknown)') + '% owned by ' + coalesce(toString(g.name), '(unknown)') + ' through its ownership chain: the foreign government has significant influence over it' AS message;

// ------------------------------------------------------------------------
// rule: foreign-state-party-in-sensitive-project
// title: Foreign-state-linked party in a sensitive-sector project of a domestic municipality
// severity: high; category: sensitive-infrastructure
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
:param {as_of: null, countries_of_concern: [], home_country: null, inactive_statuses: ["cancelled"], influence_share: 0.25, minor_roles: ["witness","observer"], sensitive_sectors: ["port","logistics","rail","telecom","energy","water","data_center","surveillance","smart_city"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH q = (x:ForeignGovernment|ForeignCity|Firm|Organization)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|FINANCIER_OF|PARTY_TO|CONCERNS*1..2]->(p:Project)-[:LOCATED_IN]->(m:Municipality)
WHERE p.sector IN $sensitive_sectors AND NOT coalesce(p.status, '') IN $inactive_statuses AND none(r IN relationships(q) WHERE coalesce(r.role, '') IN $minor_roles) AND (head(labels(x)) = 'ForeignGovernment' OR (head(labels(x)) IN ['ForeignCity', 'Organization'] AND EXISTS { MATCH (x)-[:CONTROLLED_BY]->(:ForeignGovernment) }) OR (head(labels(x)) = 'Firm' AND x.state_owned = true AND (x.country <> home_country OR (x.country IS NULL AND EXISTS { MATCH (x)-[:LOCATED_IN]->(:ForeignCity) }))) OR (head(labels(x)) = 'Firm' AND EXISTS { MATCH (x)-[:OWNED_BY*1..10]->(g:ForeignGovernment|ForeignCity|Firm) WHERE (head(labels(g)) = 'ForeignGovernment' OR (head(labels(g)) = 'ForeignCity' AND EXISTS { MATCH (g)-[:CONTROLLED_BY]->(:ForeignGovernment) }) OR (head(labels(g)) = 'Firm' AND g.state_owned = true AND (g.country <> home_country OR (g.country IS NULL AND EXISTS { MATCH (g)-[:LOCATED_IN]->(:ForeignCity) })))) AND reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (x)-[:OWNED_BY*1..10]->(g) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) >= $influence_share })) AND (size($countries_of_concern) = 0 OR x.country IN $countries_of_concern OR EXISTS { MATCH (x)-[:LOCATED_IN]->(l:ForeignCity) WHERE l.country IN $countries_of_concern } OR EXISTS { MATCH (x)-[:OWNED_BY|CONTROLLED_BY*1..10]->(k) WHERE k.country IN $countries_of_concern })
RETURN DISTINCT 'foreign-state-party-in-sensitive-project' AS rule, x.id AS x, p.id AS p, m.id AS m,
       coalesce(toString(x.name), '(unknown)') + ', a party linked to a foreign state, takes part in ' + coalesce(toString(p.name), '(unknown)') + ' in ' + coalesce(toString(m.name), '(unknown)') + ' (sector ' + coalesce(toString(p.sector), '(unknown)') + ', status ' + coalesce(toString(p.status), '(unknown)') + ')' AS message;

// ------------------------------------------------------------------------
// rule: foreign-state-project-near-military-site
// title: Project tied to a foreign state near a military or defence-industry site
// severity: high; category: sensitive-infrastructure
// requires: SensitiveSite (none in the graph: no rows, where Twinscan says the rule cannot judge)
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: distance_km() is point.distance() / 1000 on the WGS-84 points of the export (stored to single precision; Neo4j's Earth radius is 0.1% above Twinscan's), so a distance within a few metres of a threshold may fall the other way
:param {as_of: null, countries_of_concern: [], home_country: null, inactive_statuses: ["cancelled"], influence_share: 0.25, minor_roles: ["witness","observer"], proximity_km: 5, site_categories: ["military","defense_industry"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL AND EXISTS { MATCH (:SensitiveSite) }
MATCH q = (x:ForeignGovernment|ForeignCity|Firm|Organization)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|FINANCIER_OF|PARTY_TO|CONCERNS*1..2]->(p:Project),
      (s:SensitiveSite)
WHERE s.category IN $site_categories AND point.distance(p.location, s.location) / 1000.0 <= $proximity_km AND NOT coalesce(p.status, '') IN $inactive_statuses AND none(r IN relationships(q) WHERE coalesce(r.role, '') IN $minor_roles) AND (head(labels(x)) = 'ForeignGovernment' OR (head(labels(x)) IN ['ForeignCity', 'Organization'] AND EXISTS { MATCH (x)-[:CONTROLLED_BY]->(:ForeignGovernment) }) OR (head(labels(x)) = 'Firm' AND x.state_owned = true AND (x.country <> home_country OR (x.country IS NULL AND EXISTS { MATCH (x)-[:LOCATED_IN]->(:ForeignCity) }))) OR (head(labels(x)) = 'Firm' AND EXISTS { MATCH (x)-[:OWNED_BY*1..10]->(g:ForeignGovernment|ForeignCity|Firm) WHERE (head(labels(g)) = 'ForeignGovernment' OR (head(labels(g)) = 'ForeignCity' AND EXISTS { MATCH (g)-[:CONTROLLED_BY]->(:ForeignGovernment) }) OR (head(labels(g)) = 'Firm' AND g.state_owned = true AND (g.country <> home_country OR (g.country IS NULL AND EXISTS { MATCH (g)-[:LOCATED_IN]->(:ForeignCity) })))) AND reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (x)-[:OWNED_BY*1..10]->(g) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) >= $influence_share })) AND (size($countries_of_concern) = 0 OR x.country IN $countries_of_concern OR EXISTS { MATCH (x)-[:LOCATED_IN]->(l:ForeignCity) WHERE l.country IN $countries_of_concern } OR EXISTS { MATCH (x)-[:OWNED_BY|CONTROLLED_BY*1..10]->(k) WHERE k.country IN $countries_of_concern })
RETURN DISTINCT 'foreign-state-project-near-military-site' AS rule, x.id AS x, p.id AS p, s.id AS s,
       coalesce(toString(p.name), '(unknown)') + ' (' + coalesce(toString(p.sector), '(unknown)') + '), tied to ' + coalesce(toString(x.name), '(unknown)') + ', lies ' + coalesce(reduce(text12 = null, number11 IN [point.distance(p.location, s.location) / 1000.0] | CASE WHEN number11 = toInteger(number11) THEN toString(toInteger(number11)) ELSE toString(round(number11, CASE WHEN 2 - toInteger(floor(log10(abs(number11)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number11)))) END)) END), '(unknown)') + ' km from ' + coalesce(toString(s.name), '(unknown)') + ' (' + coalesce(toString(s.category), '(unknown)') + ')' AS message;

// ------------------------------------------------------------------------
// rule: foreign-state-project-near-strategic-site
// title: Project tied to a foreign state near a strategic port or critical infrastructure
// severity: medium; category: sensitive-infrastructure
// requires: SensitiveSite (none in the graph: no rows, where Twinscan says the rule cannot judge)
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: distance_km() is point.distance() / 1000 on the WGS-84 points of the export (stored to single precision; Neo4j's Earth radius is 0.1% above Twinscan's), so a distance within a few metres of a threshold may fall the other way
:param {as_of: null, countries_of_concern: [], home_country: null, inactive_statuses: ["cancelled"], influence_share: 0.25, minor_roles: ["witness","observer"], proximity_km: 5, site_categories: ["strategic_port","critical_infrastructure"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL AND EXISTS { MATCH (:SensitiveSite) }
MATCH q = (x:ForeignGovernment|ForeignCity|Firm|Organization)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|FINANCIER_OF|PARTY_TO|CONCERNS*1..2]->(p:Project),
      (s:SensitiveSite)
WHERE s.category IN $site_categories AND point.distance(p.location, s.location) / 1000.0 <= $proximity_km AND NOT coalesce(p.status, '') IN $inactive_statuses AND none(r IN relationships(q) WHERE coalesce(r.role, '') IN $minor_roles) AND (head(labels(x)) = 'ForeignGovernment' OR (head(labels(x)) IN ['ForeignCity', 'Organization'] AND EXISTS { MATCH (x)-[:CONTROLLED_BY]->(:ForeignGovernment) }) OR (head(labels(x)) = 'Firm' AND x.state_owned = true AND (x.country <> home_country OR (x.country IS NULL AND EXISTS { MATCH (x)-[:LOCATED_IN]->(:ForeignCity) }))) OR (head(labels(x)) = 'Firm' AND EXISTS { MATCH (x)-[:OWNED_BY*1..10]->(g:ForeignGovernment|ForeignCity|Firm) WHERE (head(labels(g)) = 'ForeignGovernment' OR (head(labels(g)) = 'ForeignCity' AND EXISTS { MATCH (g)-[:CONTROLLED_BY]->(:ForeignGovernment) }) OR (head(labels(g)) = 'Firm' AND g.state_owned = true AND (g.country <> home_country OR (g.country IS NULL AND EXISTS { MATCH (g)-[:LOCATED_IN]->(:ForeignCity) })))) AND reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (x)-[:OWNED_BY*1..10]->(g) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) >= $influence_share })) AND (size($countries_of_concern) = 0 OR x.country IN $countries_of_concern OR EXISTS { MATCH (x)-[:LOCATED_IN]->(l:ForeignCity) WHERE l.country IN $countries_of_concern } OR EXISTS { MATCH (x)-[:OWNED_BY|CONTROLLED_BY*1..10]->(k) WHERE k.country IN $countries_of_concern })
RETURN DISTINCT 'foreign-state-project-near-strategic-site' AS rule, x.id AS x, p.id AS p, s.id AS s,
       coalesce(toString(p.name), '(unknown)') + ' (' + coalesce(toString(p.sector), '(unknown)') + '), tied to ' + coalesce(toString(x.name), '(unknown)') + ', lies ' + coalesce(reduce(text12 = null, number11 IN [point.distance(p.location, s.location) / 1000.0] | CASE WHEN number11 = toInteger(number11) THEN toString(toInteger(number11)) ELSE toString(round(number11, CASE WHEN 2 - toInteger(floor(log10(abs(number11)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number11)))) END)) END), '(unknown)') + ' km from ' + coalesce(toString(s.name), '(unknown)') + ' (' + coalesce(toString(s.category), '(unknown)') + ')' AS message;

// ------------------------------------------------------------------------
// rule: former-official-brokered-foreign-agreement
// title: Former official brokered an agreement with a foreign party
// severity: medium; category: intermediary
// requires: HELD_OFFICE (none in the graph: no rows, where Twinscan says the rule cannot judge)
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: a date of year or month precision (NAME_partial) is every day of its period: a condition holds when it holds for every such day, as Twinscan decides it; matches Twinscan reports as undecided are not returned
:param {as_of: null, home_country: null, minor_roles: ["witness","observer"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL AND EXISTS { MATCH ()-[:HELD_OFFICE]->() }
MATCH (p:Person)-[:HELD_OFFICE]->(o:Municipality|CentralAuthority),
      q = (p)-[:BROKERED]->(a:Agreement)<-[:PARTY_TO]-(f)
WHERE none(r IN relationships(q) WHERE coalesce(r.role, '') IN $minor_roles) AND EXISTS { MATCH (p)-[h:HELD_OFFICE]->(o) WHERE coalesce(h.until, date(h.until_partial)) IS NOT NULL AND coalesce(h.until, date(h.until_partial) + CASE size(h.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) <= coalesce(coalesce(a.signed_on, date(a.signed_on_partial)), coalesce(date($as_of), date())) } AND NOT EXISTS { MATCH (p)-[h2:HELD_OFFICE]->() WHERE coalesce(h2.until, date(h2.until_partial)) IS NULL OR coalesce(h2.until, date(h2.until_partial) + CASE size(h2.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) > coalesce(coalesce(a.signed_on, date(a.signed_on_partial)), coalesce(date($as_of), date())) } AND NOT EXISTS { MATCH (p)-[d:REPRESENTS]->(f) WHERE d.disclosed = true } AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR (head(labels(f)) IN ['Firm', 'Organization'] AND f.country <> home_country) OR (head(labels(f)) IN ['Firm', 'Organization'] AND f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) })))
RETURN DISTINCT 'former-official-brokered-foreign-agreement' AS rule, p.id AS p, o.id AS o, a.id AS a, f.id AS f,
       coalesce(toString(p.name), '(unknown)') + ', formerly in office at ' + coalesce(toString(o.name), '(unknown)') + ', brokered \'' + coalesce(toString(a.name), '(unknown)') + '\' (' + coalesce(coalesce(toString(a.signed_on), a.signed_on_partial), '(unknown)') + ') with ' + coalesce(toString(f.name), '(unknown)') AS message;

// ------------------------------------------------------------------------
// rule: former-official-represents-foreign-party
// title: Person who held domestic public office represents a foreign party without a disclosure on record
// severity: high; category: intermediary
// requires: HELD_OFFICE (none in the graph: no rows, where Twinscan says the rule cannot judge)
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: a date of year or month precision (NAME_partial) is every day of its period: a condition holds when it holds for every such day, as Twinscan decides it; matches Twinscan reports as undecided are not returned
:param {home_country: null}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL AND EXISTS { MATCH ()-[:HELD_OFFICE]->() }
MATCH (p:Person)-[:HELD_OFFICE]->(o:Municipality|CentralAuthority),
      (p)-[:REPRESENTS]->(f)
WHERE NOT EXISTS { MATCH (p)-[d:REPRESENTS]->(f) WHERE d.disclosed = true } AND EXISTS { MATCH (p)-[h:HELD_OFFICE]->(o), (p)-[r:REPRESENTS]->(f) WHERE coalesce(r.until, date(r.until_partial)) IS NULL OR coalesce(h.since, date(h.since_partial)) IS NULL OR coalesce(r.until, date(r.until_partial)) >= coalesce(h.since, date(h.since_partial) + CASE size(h.since_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) } AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR (head(labels(f)) IN ['Firm', 'Organization'] AND f.country <> home_country) OR (head(labels(f)) IN ['Firm', 'Organization'] AND f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) })))
RETURN DISTINCT 'former-official-represents-foreign-party' AS rule, p.id AS p, o.id AS o, f.id AS f,
       coalesce(toString(p.name), '(unknown)') + ', who held public office at ' + coalesce(toString(o.name), '(unknown)') + ', represents ' + coalesce(toString(f.name), '(unknown)') + ' with no disclosure on record' AS message;

// ------------------------------------------------------------------------
// rule: listed-firm-group-in-domestic-project
// title: Firm of a group named on a sanctions or military-company list takes part in a domestic project
// severity: high; category: state-control
:param {as_of: null, group_share: 0.5, minor_roles: ["witness","observer"]}
MATCH q = (x:Firm)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|FINANCIER_OF|PARTY_TO|CONCERNS*1..2]->(p:Project)-[:LOCATED_IN]->(m:Municipality),
      (x)-[:OWNED_BY*0..10]->(l:Firm)
WHERE size(coalesce(l.lists, [])) > 0 AND (l = x OR reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (x)-[:OWNED_BY*1..10]->(l) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) >= $group_share) AND none(r IN relationships(q) WHERE coalesce(r.role, '') IN $minor_roles)
RETURN DISTINCT 'listed-firm-group-in-domestic-project' AS rule, x.id AS x, p.id AS p, m.id AS m, l.id AS l,
       coalesce(toString(x.name), '(unknown)') + ' takes part in ' + coalesce(toString(p.name), '(unknown)') + ' (' + coalesce(toString(p.sector), '(unknown)') + ') in ' + coalesce(toString(m.name), '(unknown)') + '; its group firm ' + coalesce(toString(l.name), '(unknown)') + ' is listed: ' + coalesce(reduce(text11 = null, item12 IN l.lists | coalesce(text11 + ', ', '') + toString(item12)), '(unknown)') AS message;

// ------------------------------------------------------------------------
// rule: municipality-signs-with-national-organ
// title: Municipality signs directly with a national organ of a foreign state
// severity: high; category: linkage
// approximation: a country prints as its code, where Twinscan's message prints its English name
:param {countries_of_concern: [], levels: ["national"], minor_roles: ["witness","observer"]}
MATCH q = (m:Municipality)-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(g:ForeignGovernment)
WHERE g.level IN $levels AND none(r IN relationships(q) WHERE coalesce(r.role, '') IN $minor_roles) AND (size($countries_of_concern) = 0 OR g.country IN $countries_of_concern)
RETURN DISTINCT 'municipality-signs-with-national-organ' AS rule, m.id AS m, a.id AS a, g.id AS g,
       coalesce(toString(m.name), '(unknown)') + ' signed \'' + coalesce(toString(a.name), '(unknown)') + '\' (' + coalesce(toString(a.type), '(unknown)') + ', ' + coalesce(coalesce(toString(a.signed_on), a.signed_on_partial), '(unknown)') + ') directly with ' + coalesce(toString(g.name), '(unknown)') + ', a national organ of ' + coalesce(toString(g.country), '(unknown)') AS message;

// ------------------------------------------------------------------------
// rule: ownership-shares-exceed-whole
// title: Recorded shareholdings of a firm add up to more than the whole
// severity: low; category: data-quality
:param {as_of: null, tolerance: 0.005}
MATCH (f:Firm)
WHERE reduce(sum2 = 0.0, owned1 IN [(f)-[owned1_rel:OWNED_BY]->() WHERE (coalesce(coalesce(owned1_rel.since, date(owned1_rel.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(owned1_rel.until, date(owned1_rel.until_partial) + CASE size(owned1_rel.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true)) | coalesce(owned1_rel.share, owned1_rel.share_min)] | sum2 + coalesce(owned1, 0.0)) > 1 + $tolerance
RETURN DISTINCT 'ownership-shares-exceed-whole' AS rule, f.id AS f,
       'The shareholdings recorded for ' + coalesce(toString(f.name), '(unknown)') + ' add up to ' + coalesce(reduce(text6 = null, number5 IN [round(reduce(sum4 = 0.0, owned3 IN [(f)-[owned3_rel:OWNED_BY]->() WHERE (coalesce(coalesce(owned3_rel.since, date(owned3_rel.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(owned3_rel.until, date(owned3_rel.until_partial) + CASE size(owned3_rel.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true)) | coalesce(owned3_rel.share, owned3_rel.share_min)] | sum4 + coalesce(owned3, 0.0)) * 1000) / 10] | CASE WHEN number5 = toInteger(number5) THEN toString(toInteger(number5)) ELSE toString(round(number5, CASE WHEN 2 - toInteger(floor(log10(abs(number5)))) < 1 THEN 1 ELSE 2 - toInteger(floor(log10(abs(number5)))) END)) END), '(unknown)') + '%: effective ownership through it cannot be trusted' AS message;

// ------------------------------------------------------------------------
// rule: partner-city-under-central-government
// title: Municipal partner city subordinate to a foreign central government
// severity: low; category: state-control
:param {countries_of_concern: [], levels: ["national"], minor_roles: ["witness","observer"]}
MATCH (m:Municipality)-[:PARTY_TO]->(:Agreement)<-[:PARTY_TO]-(c:ForeignCity)-[:CONTROLLED_BY*1..3]->(g:ForeignGovernment)
WHERE g.level IN $levels AND EXISTS { MATCH (m)-[:PARTY_TO]->(:Agreement)<-[r:PARTY_TO]-(c) WHERE NOT coalesce(r.role, '') IN $minor_roles } AND (size($countries_of_concern) = 0 OR coalesce(g.country, c.country) IN $countries_of_concern)
RETURN DISTINCT 'partner-city-under-central-government' AS rule, m.id AS m, c.id AS c, g.id AS g,
       coalesce(toString(m.name), '(unknown)') + '\'s partner ' + coalesce(toString(c.name), '(unknown)') + ' is subordinate to ' + coalesce(toString(g.name), '(unknown)') + ', a national organ of its state' AS message;

// ------------------------------------------------------------------------
// rule: party-organ-in-municipal-agreement
// title: Organ of a foreign ruling party or its United Front system in a municipal agreement
// severity: medium; category: state-control
:param {countries_of_concern: [], organs: ["party","united_front"]}
MATCH (o:ForeignGovernment|Organization)-[:PARTY_TO|BROKERED]->(a:Agreement)<-[:PARTY_TO]-(d:Municipality|CentralAuthority)
WHERE (o.organ IN $organs OR (coalesce(o.organ, '') <> 'state' AND EXISTS { MATCH (o)-[:CONTROLLED_BY]->(u:ForeignGovernment) WHERE u.organ IN $organs })) AND (size($countries_of_concern) = 0 OR o.country IN $countries_of_concern)
RETURN DISTINCT 'party-organ-in-municipal-agreement' AS rule, o.id AS o, a.id AS a, d.id AS d,
       coalesce(toString(o.name), '(unknown)') + ' (organ: ' + coalesce(toString(coalesce(o.organ, 'a body under a party organ')), '(unknown)') + ') took part in \'' + coalesce(toString(a.name), '(unknown)') + '\' of ' + coalesce(toString(d.name), '(unknown)') + ' as a party or broker' AS message;

// ------------------------------------------------------------------------
// rule: relation-sources-disagree
// title: Sources disagree on a value of a relation
// severity: low; category: data-quality
// NOT TRANSLATABLE: disagreements() reads which sources state each fact, which `twinscan export --format neo4j` does not carry (see twinscan reconcile); run this rule with twinscan scan
// Twinscan's query, for reference:
//   MATCH ()-[r]->() WHERE type(r) <> 'TWINNED_WITH' AND size(disagreements(r, $ignore)) > 0

// ------------------------------------------------------------------------
// rule: secrecy-clause-foreign-party
// title: Confidential agreement between a domestic public body and a foreign party
// severity: high; category: secrecy
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
:param {home_country: null, minor_roles: ["witness","observer"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH q = (p:Municipality|CentralAuthority|Organization)-[:PARTY_TO]->(a:Agreement)<-[:PARTY_TO]-(f)
WHERE 'confidentiality' IN a.clauses AND a.secrecy_reason IS NULL AND (head(labels(p)) <> 'Organization' OR p.country = home_country) AND none(r IN relationships(q) WHERE coalesce(r.role, '') IN $minor_roles) AND (head(labels(f)) IN ['ForeignCity', 'ForeignGovernment'] OR (head(labels(f)) IN ['Firm', 'Organization'] AND f.country <> home_country) OR (head(labels(f)) IN ['Firm', 'Organization'] AND f.country IS NULL AND (EXISTS { MATCH (f)-[:LOCATED_IN]->(:ForeignCity) } OR EXISTS { MATCH (f)-[:OWNED_BY*1..10]->(:ForeignGovernment|ForeignCity) })))
RETURN DISTINCT 'secrecy-clause-foreign-party' AS rule, p.id AS p, a.id AS a, f.id AS f,
       coalesce(toString(p.name), '(unknown)') + ' and ' + coalesce(toString(f.name), '(unknown)') + ' keep the agreement \'' + coalesce(toString(a.name), '(unknown)') + '\' (signed ' + coalesce(coalesce(toString(a.signed_on), a.signed_on_partial), '(unknown)') + ') confidential, with no reason on record' AS message;

// ------------------------------------------------------------------------
// rule: sensitive-project-without-location
// title: Sensitive-sector project with a foreign party has no location
// severity: low; category: data-quality
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
:param {home_country: null, inactive_statuses: ["cancelled"], sensitive_sectors: ["port","logistics","rail","telecom","energy","water","data_center","surveillance","smart_city"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH (p:Project)
WHERE p.sector IN $sensitive_sectors AND p.location IS NULL AND NOT coalesce(p.status, '') IN $inactive_statuses AND coalesce(p.country, home_country) = home_country AND NOT EXISTS { MATCH (p)-[:LOCATED_IN]->(:ForeignCity) } AND EXISTS { MATCH (x:ForeignCity|ForeignGovernment|Firm|Organization)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|FINANCIER_OF|PARTY_TO|CONCERNS*1..2]->(p) WHERE head(labels(x)) IN ['ForeignCity', 'ForeignGovernment'] OR coalesce(x.country, '') <> home_country }
RETURN DISTINCT 'sensitive-project-without-location' AS rule, p.id AS p,
       coalesce(toString(p.name), '(unknown)') + ' (' + coalesce(toString(p.sector), '(unknown)') + ', status ' + coalesce(toString(p.status), '(unknown)') + ') has a foreign party but no location: its distance to sensitive sites cannot be judged' AS message;

// ------------------------------------------------------------------------
// rule: state-finance-with-twinning
// title: State-linked finance offered to a municipality's project together with a twinning with the financier's state
// severity: high; category: linkage
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
:param {as_of: null, countries_of_concern: [], home_country: null, influence_share: 0.25, window_years: 3}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH (b:Firm|ForeignGovernment)-[:FINANCIER_OF]->(p:Project)-[:LOCATED_IN]->(m:Municipality)-[:TWINNED_WITH]-(c:ForeignCity)
WHERE c.country IS NOT NULL AND (head(labels(b)) = 'ForeignGovernment' OR (b.state_owned = true AND (b.country <> home_country OR (b.country IS NULL AND EXISTS { MATCH (b)-[:LOCATED_IN]->(:ForeignCity) }))) OR EXISTS { MATCH (b)-[:OWNED_BY*1..10]->(g:ForeignGovernment|ForeignCity|Firm) WHERE (head(labels(g)) = 'ForeignGovernment' OR (head(labels(g)) = 'ForeignCity' AND EXISTS { MATCH (g)-[:CONTROLLED_BY]->(:ForeignGovernment) }) OR (head(labels(g)) = 'Firm' AND g.state_owned = true AND (g.country <> home_country OR (g.country IS NULL AND EXISTS { MATCH (g)-[:LOCATED_IN]->(:ForeignCity) })))) AND reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (b)-[:OWNED_BY*1..10]->(g) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) >= $influence_share }) AND (b.country = c.country OR EXISTS { MATCH (b)-[:LOCATED_IN]->(:ForeignCity {country: c.country}) } OR EXISTS { MATCH (b)-[:OWNED_BY*1..10]->(o:ForeignGovernment|ForeignCity|Firm) WHERE o.country = c.country AND (head(labels(o)) <> 'Firm' OR o.state_owned = true) AND reduce(capped18 = 1.0, x19 IN [reduce(total16 = 0.0, chain_share17 IN [chain11 = (b)-[:OWNED_BY*1..10]->(o) WHERE all(n12 IN nodes(chain11) WHERE single(m13 IN nodes(chain11) WHERE m13 = n12)) AND all(held20 IN relationships(chain11) WHERE (coalesce(coalesce(held20.since, date(held20.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held20.until, date(held20.until_partial) + CASE size(held20.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share15 = 1.0, r14 IN relationships(chain11) | share15 * coalesce(r14.share, r14.share_min))] | total16 + coalesce(chain_share17, 0.0))] | CASE WHEN x19 < capped18 THEN x19 ELSE capped18 END) >= $influence_share }) AND EXISTS { MATCH (b)-[f:FINANCIER_OF]->(p), (m)-[t:TWINNED_WITH]-(c) WHERE coalesce(coalesce(f.on, date(f.on_partial)), coalesce(f.since, date(f.since_partial))) IS NULL OR coalesce(t.since, date(t.since_partial)) IS NULL OR abs((coalesce(coalesce(f.on, date(f.on_partial)), coalesce(f.since, date(f.since_partial)))).year - (coalesce(t.since, date(t.since_partial))).year) <= $window_years } AND (size($countries_of_concern) = 0 OR c.country IN $countries_of_concern)
RETURN DISTINCT 'state-finance-with-twinning' AS rule, b.id AS b, p.id AS p, m.id AS m, c.id AS c,
       coalesce(toString(b.name), '(unknown)') + ' (a foreign state-linked financier) offered or gave finance to ' + coalesce(toString(p.name), '(unknown)') + ' (' + coalesce(toString(p.sector), '(unknown)') + ') in ' + coalesce(toString(m.name), '(unknown)') + ', which is twinned with ' + coalesce(toString(c.name), '(unknown)') + ' of the same state' AS message;

// ------------------------------------------------------------------------
// rule: tie-ended-in-one-source-active-in-another
// title: Twin-city tie ended in one source and active in another
// severity: medium; category: data-quality
// NOT TRANSLATABLE: tie_ended_in() reads which sources state each fact, which `twinscan export --format neo4j` does not carry (see twinscan reconcile); run this rule with twinscan scan
// Twinscan's query, for reference:
//   MATCH (m:Municipality)-[:TWINNED_WITH]-(c:ForeignCity)
//   WHERE size(tie_ended_in(m, c)) > 0 AND size(tie_active_in(m, c)) > 0

// ------------------------------------------------------------------------
// rule: tie-known-only-from-foreign-side
// title: Twin-city tie known only from the foreign side
// severity: high; category: notification
// NOT TRANSLATABLE: tie_sources() reads which sources state each fact, which `twinscan export --format neo4j` does not carry (see twinscan reconcile); run this rule with twinscan scan
// Twinscan's query, for reference:
//   MATCH (m:Municipality)-[:TWINNED_WITH]-(c:ForeignCity)
//   WHERE size(tie_sources(m, c, 'foreign-side')) = size(tie_sources(m, c))

// ------------------------------------------------------------------------
// rule: tie-missing-from-national-register
// title: Twin-city tie known to domestic sources but missing from the national register
// severity: medium; category: notification
// NOT TRANSLATABLE: registry_source_roles() reads which sources state each fact, which `twinscan export --format neo4j` does not carry (see twinscan reconcile); run this rule with twinscan scan
// Twinscan's query, for reference:
//   MATCH (m:Municipality)-[:TWINNED_WITH]-(c:ForeignCity)
//   WHERE 'national-register' IN registry_source_roles()
//     AND NOT 'national-register' IN tie_source_roles(m, c)
//     AND size(tie_sources(m, c)) > size(tie_sources(m, c, 'foreign-side'))

// ------------------------------------------------------------------------
// rule: tie-sources-disagree
// title: Sources disagree on a twin-city tie's dates or status
// severity: low; category: data-quality
// NOT TRANSLATABLE: tie_disagreements() reads which sources state each fact, which `twinscan export --format neo4j` does not carry (see twinscan reconcile); run this rule with twinscan scan
// Twinscan's query, for reference:
//   MATCH (m:Municipality)-[:TWINNED_WITH]-(c:ForeignCity)
//   WHERE size(tie_disagreements(m, c)) > 0

// ------------------------------------------------------------------------
// rule: twinning-agreement-missing-from-national-register
// title: Twinning agreement known to other sources but missing from the national register
// severity: medium; category: notification
// NOT TRANSLATABLE: registry_source_roles() reads which sources state each fact, which `twinscan export --format neo4j` does not carry (see twinscan reconcile); run this rule with twinscan scan
// Twinscan's query, for reference:
//   MATCH (m:Municipality)-[:PARTY_TO]->(a:Agreement {type: 'twinning'})
//   WHERE 'national-register' IN registry_source_roles()
//     AND NOT 'national-register' IN source_roles(a)

// ------------------------------------------------------------------------
// rule: twinning-then-twin-state-firm-in-project
// title: Twin-city tie followed by a firm of the twin's state in a project of the same municipality
// severity: high; category: linkage
// home country: $home_country, else the one country of the municipalities (unknown: no rows, where Twinscan says the rule cannot judge)
// approximation: a date of year or month precision (NAME_partial) is every day of its period: a condition holds when it holds for every such day, as Twinscan decides it; matches Twinscan reports as undecided are not returned
:param {as_of: null, countries_of_concern: [], home_country: null, influence_share: 0.25, minor_roles: ["witness","observer"]}
OPTIONAL MATCH (home_municipality:Municipality) WHERE home_municipality.country IS NOT NULL
WITH coalesce($home_country, CASE WHEN count(DISTINCT home_municipality.country) = 1 THEN head(collect(DISTINCT home_municipality.country)) END) AS home_country
WHERE home_country IS NOT NULL
MATCH (m:Municipality)-[:TWINNED_WITH]-(c:ForeignCity),
      q = (x:Firm)-[:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF|PARTY_TO|CONCERNS*1..2]->(p:Project)-[:LOCATED_IN]->(m)
WHERE c.country IS NOT NULL AND (x.country = c.country OR EXISTS { MATCH (x)-[:LOCATED_IN]->(:ForeignCity {country: c.country}) } OR EXISTS { MATCH (x)-[:OWNED_BY*1..10]->(o:ForeignGovernment|ForeignCity|Firm) WHERE o.country = c.country AND (head(labels(o)) <> 'Firm' OR o.state_owned = true) AND reduce(capped8 = 1.0, x9 IN [reduce(total6 = 0.0, chain_share7 IN [chain1 = (x)-[:OWNED_BY*1..10]->(o) WHERE all(n2 IN nodes(chain1) WHERE single(m3 IN nodes(chain1) WHERE m3 = n2)) AND all(held10 IN relationships(chain1) WHERE (coalesce(coalesce(held10.since, date(held10.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held10.until, date(held10.until_partial) + CASE size(held10.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share5 = 1.0, r4 IN relationships(chain1) | share5 * coalesce(r4.share, r4.share_min))] | total6 + coalesce(chain_share7, 0.0))] | CASE WHEN x9 < capped8 THEN x9 ELSE capped8 END) >= $influence_share }) AND (EXISTS { MATCH (c)-[:CONTROLLED_BY]->(:ForeignGovernment) } OR (x.state_owned = true AND (x.country <> home_country OR (x.country IS NULL AND EXISTS { MATCH (x)-[:LOCATED_IN]->(:ForeignCity) }))) OR EXISTS { MATCH (x)-[:OWNED_BY*1..10]->(h:ForeignGovernment|ForeignCity|Firm) WHERE (head(labels(h)) <> 'Firm' OR (h.state_owned = true AND (h.country <> home_country OR (h.country IS NULL AND EXISTS { MATCH (h)-[:LOCATED_IN]->(:ForeignCity) })))) AND reduce(capped18 = 1.0, x19 IN [reduce(total16 = 0.0, chain_share17 IN [chain11 = (x)-[:OWNED_BY*1..10]->(h) WHERE all(n12 IN nodes(chain11) WHERE single(m13 IN nodes(chain11) WHERE m13 = n12)) AND all(held20 IN relationships(chain11) WHERE (coalesce(coalesce(held20.since, date(held20.since_partial)) <= coalesce(date($as_of), date()), true) AND coalesce(coalesce(held20.until, date(held20.until_partial) + CASE size(held20.until_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) >= coalesce(date($as_of), date()), true))) | reduce(share15 = 1.0, r14 IN relationships(chain11) | share15 * coalesce(r14.share, r14.share_min))] | total16 + coalesce(chain_share17, 0.0))] | CASE WHEN x19 < capped18 THEN x19 ELSE capped18 END) >= $influence_share }) AND none(r0 IN relationships(q) WHERE coalesce(r0.role, '') IN $minor_roles) AND (EXISTS { MATCH (m)-[t:TWINNED_WITH]-(c), (x)-[r:BIDDER_ON|CONTRACTOR_OF|OPERATOR_OF]->(p) WHERE coalesce(coalesce(r.on, date(r.on_partial)), coalesce(r.since, date(r.since_partial))) IS NULL OR ((coalesce(t.since, date(t.since_partial)) IS NULL OR coalesce(coalesce(r.on, date(r.on_partial)), coalesce(r.since, date(r.since_partial))) >= coalesce(t.since, date(t.since_partial) + CASE size(t.since_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D'))) AND (coalesce(t.until, date(t.until_partial)) IS NULL OR coalesce(coalesce(r.on, date(r.on_partial) + CASE size(r.on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')), coalesce(r.since, date(r.since_partial) + CASE size(r.since_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D'))) <= coalesce(t.until, date(t.until_partial)))) } OR EXISTS { MATCH (m)-[t:TWINNED_WITH]-(c), (x)-[r:PARTY_TO]->(a:Agreement)-[:CONCERNS]->(p) WHERE NOT coalesce(r.role, '') IN $minor_roles AND (coalesce(a.signed_on, date(a.signed_on_partial)) IS NULL OR ((coalesce(t.since, date(t.since_partial)) IS NULL OR coalesce(a.signed_on, date(a.signed_on_partial)) >= coalesce(t.since, date(t.since_partial) + CASE size(t.since_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D'))) AND (coalesce(t.until, date(t.until_partial)) IS NULL OR coalesce(a.signed_on, date(a.signed_on_partial) + CASE size(a.signed_on_partial) WHEN 4 THEN duration('P1Y') ELSE duration('P1M') END - duration('P1D')) <= coalesce(t.until, date(t.until_partial))))) }) AND (size($countries_of_concern) = 0 OR c.country IN $countries_of_concern)
RETURN DISTINCT 'twinning-then-twin-state-firm-in-project' AS rule, m.id AS m, c.id AS c, x.id AS x, p.id AS p,
       coalesce(toString(m.name), '(unknown)') + ', twinned with ' + coalesce(toString(c.name), '(unknown)') + ', later saw ' + coalesce(toString(x.name), '(unknown)') + ', a firm of the twin\'s state, bid on, build, operate or sign for ' + coalesce(toString(p.name), '(unknown)') + ' (' + coalesce(toString(p.sector), '(unknown)') + ')' AS message;
