// Reference implementations: elementwise operators (see reference_internal.h).
#include "reference_internal.h"

namespace tinymlc::testing {

void RegisterElementwiseOps(OpRegistry& r) { (void)r; }

}  // namespace tinymlc::testing
