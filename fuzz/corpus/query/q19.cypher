MATCH (a) // comment
/* block */ WHERE {k: [1, {j: null}]}.k[1].j = true RETURN a
