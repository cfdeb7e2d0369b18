export { loadWatchlistCriteria, describeWatchlistCode, WATCHLIST_CODES, type WatchlistCode, type WatchlistCriteria } from './watchlist-criteria.ts';
export { PriorLoans, RATING_SCALE, ratingNotch, type PriorLoan, type PriorRecord } from './prior-loans.ts';
export { WatchlistTests, WatchlistAggregate, type WatchedLoan, type WatchlistEntry, type WatchlistSection, type WatchlistState, type PriorTapeRef } from './watchlist.ts';
