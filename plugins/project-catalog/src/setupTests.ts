import '@testing-library/jest-dom';
import { Settings } from 'luxon';

// "Local time" in the tests is Berlin's, so that local and UTC differ.
Settings.defaultZone = 'Europe/Berlin';

// The form tests type into many fields; on a loaded CI machine some take longer than 5 s.
jest.setTimeout(20_000);
