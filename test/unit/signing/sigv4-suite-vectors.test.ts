// Every vector of test/fixtures/vectors/sigv4-suite.json, stage by stage.
import { loadVectors, type SigV4Vector } from '../../support/vectors.js';
import { checkSigV4Vectors } from './sigv4-vectors.js';

checkSigV4Vectors(loadVectors<SigV4Vector>('sigv4-suite.json'));
