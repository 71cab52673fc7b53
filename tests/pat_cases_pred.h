/* pat_cases_pred.h -- unit cases for the issue 11 rows with a test
 * (src/pat_ops_pred.c), one at least per name; tests/test_pat.c runs them and
 * counts them for test_pat_every_opcode_is_tested. Expected events checked by
 * hand from Tidal's definitions (the same as tests/conformance/tidal-more). */
static const struct qcase pred_cases[] = {
    { "0", "2", "\"a b\" $ when even rev",
      "0 1/2 0 1/2 b\n1/2 1 1/2 1 a\n1 3/2 1 3/2 a\n3/2 2 3/2 2 b" },
    { "0", "2", "\"a b\" $ whenT (>= 1) rev",
      "0 1/2 0 1/2 a\n1/2 1 1/2 1 b\n1 3/2 1 3/2 b\n3/2 2 3/2 2 a" },
    { "0", "2", "\"a b\" $ ifp odd (fast 2) rev",
      "0 1/2 0 1/2 b\n1/2 1 1/2 1 a\n1 5/4 1 5/4 a\n5/4 3/2 5/4 3/2 b\n3/2 7/4 3/2 7/4 a\n7/4 2 7/4 2 b" },
    { "0", "1", "\"0 1 2 3\" $ filterValues ((== 1) . (`mod` 2))", "1/4 1/2 1/4 1/2 1\n3/4 1 3/4 1 3" },
    { "0", "1", "\"a*4\" $ filterWhen (< 0.5)", "0 1/4 0 1/4 a\n1/4 1/2 1/4 1/2 a" },
    { "0", "1", "\"a b\" $ while \"0 1\" (fast 2)", "0 1/2 0 1/2 a\n1/2 3/4 1/2 3/4 a\n3/4 1 3/4 1 b" },
    { "0", "1", "\"1 2\" $ odd", "0 1/2 0 1/2 true\n1/2 1 1/2 1 false" },
    { "0", "1", "\"1 2\" $ even", "0 1/2 0 1/2 false\n1/2 1 1/2 1 true" },
    { "0", "1", "\"21 3\" $ (elem '1') . show", "0 1/2 0 1/2 true\n1/2 1 1/2 1 false" },
    { "0", "1", "\"a:3 b\" $ elem 3", "0 1/2 0 1/2 true\n1/2 1 1/2 1 false" },
    { "0", "2", "\"a b\" $ reset \"<t ~>\"", "0 1/2 0 1/2 a\n1/2 1 1/2 1 b" },
    { "0", "2", "\"<a b>\" $ restart \"~ t\"", "1/2 1 1/2 1 a\n3/2 2 3/2 2 a" },
    { "0", "1", "\"a b\" $ layer [id, (0.25 ~>)]", "0 1/2 0 1/2 a\n-1/4 1/4 0 1/4 b\n1/4 3/4 1/4 3/4 a\n1/2 1 1/2 1 b\n3/4 5/4 3/4 1 b" },
    { "0", "1", "segment 2 $ sig (+ 1)", "0 1/2 0 1/2 1\n1/2 1 1/2 1 1.5" },
};
