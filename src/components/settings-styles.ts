import { css } from 'lit';

/**
 * A labelled field with its hint and error lines under it, as Settings lays them out. Only Settings uses it, so it
 * loads with Settings rather than with the first screen's shared styles.
 */
export const fieldRows = css`
  .field-row {
    display: flex;
    flex-direction: column;
    gap: var(--mc-space-1);
  }
  .field-row > label {
    font-weight: var(--mc-font-weight-medium);
  }
  .hint {
    margin: 0;
    color: var(--mc-color-text-muted);
    font-size: var(--mc-font-size-xs);
  }
  .error {
    margin: 0;
    color: var(--mc-color-danger);
    font-size: var(--mc-font-size-xs);
    font-weight: var(--mc-font-weight-medium);
  }
  .notice {
    margin: 0;
    padding: var(--mc-space-3) var(--mc-space-4);
    border-radius: var(--mc-radius-md);
    background: var(--mc-color-warning-soft);
    color: var(--mc-color-warning);
  }
`;
