//! MIME multipart/related with XOP. The reader of bodies held whole lives in [`whole`]; the
//! streaming reader will sit beside it and share its header and transfer-encoding logic.

mod whole;

pub(crate) use whole::*;
